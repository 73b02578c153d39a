"""CloudFormation Conditions: which combinations of their values some deployment of a template can reach.

A parameter with AllowedValues takes one of them; one without, and a pseudo parameter (AWS::Region, ...), may
take any value, but for Fn::Equals only the literals it is compared with matter, plus values unlike all of
them. An operand the template alone cannot tell (Fn::ImportValue, Fn::GetAtt, ...) leaves its Fn::Equals free:
true in one deployment, false in another. A Fn::FindInMap without the entry makes the stack fail to deploy, so
the parameter values that lead to it are not reachable.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Sequence, Set, Tuple

from spectrum_guard.estate.values import MAX_DEPTH, is_noise_key, without_noise

# Parameter values (and free Fn::Equals) tried per template, and distinct outcomes of its conditions that matter.
MAX_COMBINATIONS = 4096
MAX_ASSIGNMENTS = 16

_BOOLEAN_FUNCTIONS = {"Fn::And": (2, 10), "Fn::Or": (2, 10), "Fn::Not": (1, 1)}


class Undecided(ValueError):
    """The template's conditions cannot be evaluated here: CloudFormation would reject them (`malformed`), or
    they are too many."""

    def __init__(self, reason: str, malformed: bool = True) -> None:
        super().__init__(reason)
        self.malformed = malformed


@dataclass(frozen=True)
class Template:
    """The sections of one template that conditions read."""

    parameters: Mapping[str, Any]
    conditions: Mapping[str, Any]
    mappings: Mapping[str, Any]


@dataclass(frozen=True)
class Assignment:
    """The values of a template's conditions in one reachable deployment, and parameter values that give them."""

    values: Mapping[str, bool]
    # Parameter values (and free Fn::Equals) that give them: "Environment = 'prod'", by parameter.
    witness: Mapping[str, str]
    # The conditions whose value differs between the template's assignments: the others say nothing.
    varying: Tuple[str, ...] = ()
    # What each condition reads: the names in `witness` that matter to it.
    reads: Mapping[str, FrozenSet[str]] = dataclasses.field(default_factory=dict)

    def describe(self, conditions: Iterable[str] = ()) -> str:
        """The given conditions' values (the varying ones when none is given) and the values giving them."""
        shown = sorted(set(conditions) & set(self.values)) or sorted(self.varying or self.values)
        described = ", ".join(f"{name} is {str(self.values[name]).lower()}" for name in shown)
        read = set().union(*(self.reads.get(name, frozenset()) for name in shown))
        witness = [shown for name, shown in self.witness.items() if name in read]
        return f"{described} (for example {', '.join(witness)})" if witness else described


class _Other(str):
    """A parameter value unlike every literal of the template (there is one per parameter that needs it)."""


class _Unmapped(Exception):
    """A Fn::FindInMap without the entry: CloudFormation fails the deployment."""


def reachable_assignments(template: Template, relevant: Iterable[str]) -> List[Assignment]:
    """Every combination of the `relevant` conditions' values that some parameter values give, in a stable order.

    Raises Undecided for a condition CloudFormation would reject (undefined, circular, not a condition function)
    and beyond MAX_COMBINATIONS or MAX_ASSIGNMENTS.
    """
    names = sorted(set(relevant))
    structure = _Structure(template)
    reads = {}
    for name in names:
        structure.visit_condition(name, ())
        alone = _Structure(template)
        alone.visit_condition(name, ())
        reads[name] = frozenset(alone.parameters) | frozenset(alone.free)
    variables = structure.variables()
    combinations = 1
    for _, domain in variables:
        combinations *= len(domain)
    if combinations > MAX_COMBINATIONS:
        raise Undecided(
            f"its conditions depend on {combinations} combinations of values, more than {MAX_COMBINATIONS}",
            malformed=False,
        )
    found: Dict[Tuple[bool, ...], Assignment] = {}
    for choice in itertools.product(*(domain for _, domain in variables)):
        values = dict(zip((name for name, _ in variables), choice))
        evaluator = _Evaluator(template, values)
        try:
            outcome = tuple(evaluator.condition(name) for name in names)
        except _Unmapped:
            continue
        if outcome not in found:
            found[outcome] = Assignment(dict(zip(names, outcome)), _witness(variables, values))
            if len(found) > MAX_ASSIGNMENTS:
                raise Undecided(f"its conditions reach more than {MAX_ASSIGNMENTS} combinations", malformed=False)
    if not found:
        raise Undecided("no parameter values deploy it: every combination reaches a Fn::FindInMap without its entry")
    varying = tuple(name for position, name in enumerate(names) if len({outcome[position] for outcome in found}) > 1)
    return [dataclasses.replace(assignment, varying=varying, reads=reads) for assignment in found.values()]


def _witness(variables: Sequence[Tuple[str, Sequence[Any]]], values: Mapping[str, Any]) -> Dict[str, str]:
    shown = {}
    for name, domain in variables:
        if len(domain) < 2:
            continue
        value = values[name]
        if isinstance(value, bool):
            shown[name] = f"Fn::Equals {name} {'holds' if value else 'does not hold'}"
        elif isinstance(value, _Other):
            shown[name] = f"{name} = a value the template does not name"
        else:
            shown[name] = f"{name} = {value!r}"
    return shown


def _key(expression: Any) -> str:
    return json.dumps(without_noise(expression), sort_keys=True, default=str)


def _function(expression: Any) -> Tuple[str, Any] | None:
    if isinstance(expression, dict):
        keys = [key for key in expression if not is_noise_key(key)]
        if len(keys) == 1 and isinstance(keys[0], str):
            return keys[0], expression[keys[0]]
    return None


def _literal(value: Any) -> str | None:
    """CloudFormation compares as strings: `true` and `1` in YAML are "true" and "1"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


class _Structure:
    """One pass over the conditions that matter: what they read, and whether CloudFormation would accept them."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.parameters: Set[str] = set()
        self.literals: Set[str] = set()
        self.compared_parameters = 0  # Fn::Equals between two parameters: they may be equal or not
        self.free: Dict[str, None] = {}
        self.done: Set[str] = set()

    def visit_condition(self, name: Any, visiting: Tuple[str, ...]) -> None:
        if not isinstance(name, str) or name not in self.template.conditions:
            raise Undecided(f"the condition {name!r} is not defined")
        if name in visiting:
            raise Undecided(f"its conditions are circular: {' -> '.join(visiting + (name,))}")
        if name in self.done:
            return
        if len(visiting) > MAX_DEPTH:
            raise Undecided(f"its conditions nest more than {MAX_DEPTH} levels deep")
        self.visit(self.template.conditions[name], visiting + (name,), name)
        self.done.add(name)

    def visit(self, expression: Any, visiting: Tuple[str, ...], condition: str) -> None:
        function = _function(expression)
        if function is None:
            raise Undecided(f"the condition {condition} holds {_key(expression)[:80]}, not a condition function")
        name, argument = function
        if name == "Condition":
            self.visit_condition(argument, visiting)
        elif name in _BOOLEAN_FUNCTIONS:
            least, most = _BOOLEAN_FUNCTIONS[name]
            if not (isinstance(argument, list) and least <= len(argument) <= most):
                raise Undecided(f"the condition {condition} has a malformed {name}")
            for operand in argument:
                self.visit(operand, visiting, condition)
        elif name == "Fn::Equals":
            if not (isinstance(argument, list) and len(argument) == 2):
                raise Undecided(f"the condition {condition} has a malformed Fn::Equals")
            operands = [self.operand(operand, condition) for operand in argument]
            if None in operands:
                self.free[_key(expression)] = None
            elif all(operand == "parameter" for operand in operands):
                self.compared_parameters += 1
        else:
            raise Undecided(f"the condition {condition} uses {name}, which is not a condition function")

    def operand(self, operand: Any, condition: str) -> str | None:
        """'literal' or 'parameter' (possibly through a mapping); None when the template cannot tell it."""
        literal = _literal(operand)
        if literal is not None:
            self.literals.add(literal)
            return "literal"
        function = _function(operand)
        if function and function[0] == "Ref" and isinstance(function[1], str):
            reference = function[1]
            if reference not in self.template.parameters and not reference.startswith("AWS::"):
                raise Undecided(f"the condition {condition} refers to {reference}, which is not a parameter")
            self.parameters.add(reference)
            return "parameter"
        if function and function[0] == "Fn::FindInMap" and isinstance(function[1], list) and len(function[1]) == 3:
            keys = [self.operand(key, condition) for key in function[1]]
            if None in keys:
                return None
            mapping = self.template.mappings.get(function[1][0])
            if isinstance(mapping, dict):
                self.literals.update(str(key) for key in mapping if not is_noise_key(key))
                for entry in mapping.values():
                    for value in entry.values() if isinstance(entry, dict) else ():
                        if _literal(value) is not None:
                            self.literals.add(_literal(value))
            return "parameter"
        return None

    def variables(self) -> List[Tuple[str, Sequence[Any]]]:
        """Each parameter with the values worth trying, then each free Fn::Equals with true and false."""
        others = [_Other(f"<other value {n}>") for n in range(1 + min(self.compared_parameters, len(self.parameters)))]
        variables: List[Tuple[str, Sequence[Any]]] = []
        for name in sorted(self.parameters):
            declaration = self.template.parameters.get(name)
            allowed = declaration.get("AllowedValues") if isinstance(declaration, dict) else None
            if isinstance(allowed, list) and allowed and all(_literal(value) is not None for value in allowed):
                variables.append((name, list(dict.fromkeys(_literal(value) for value in allowed))))
            else:
                variables.append((name, sorted(self.literals) + others))
        variables.extend((free, (True, False)) for free in self.free)
        return variables


class _Evaluator:
    """The conditions' values for one choice of parameter values (checked beforehand by _Structure)."""

    def __init__(self, template: Template, values: Mapping[str, Any]) -> None:
        self.template = template
        self.values = values
        self.known: Dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self.known:
            self.known[name] = self.evaluate(self.template.conditions[name])
        return self.known[name]

    def evaluate(self, expression: Any) -> bool:
        name, argument = _function(expression)
        if name == "Condition":
            return self.condition(argument)
        if name == "Fn::And":
            return all([self.evaluate(operand) for operand in argument])
        if name == "Fn::Or":
            return any([self.evaluate(operand) for operand in argument])
        if name == "Fn::Not":
            return not self.evaluate(argument[0])
        free = _key(expression)
        if free in self.values:
            return self.values[free]
        left, right = (self.operand(operand) for operand in argument)
        return left == right

    def operand(self, operand: Any) -> str:
        literal = _literal(operand)
        if literal is not None:
            return literal
        name, argument = _function(operand)
        if name == "Ref":
            return self.values[argument]
        mapping_name, top, second = (self.operand(part) for part in argument)
        mapping = self.template.mappings.get(mapping_name)
        entry = mapping.get(top) if isinstance(mapping, dict) else None
        value = _literal(entry.get(second)) if isinstance(entry, dict) else None
        if value is None:
            raise _Unmapped()
        return value
