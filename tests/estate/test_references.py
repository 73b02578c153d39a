"""The per-graph index of references must not outlive its graph."""
import weakref

from spectrum_guard.estate.graph import ResourceGraph
from spectrum_guard.estate.references import references_of

BUCKET = {"block_type_": "resource", "resource_type": "aws_s3_bucket", "block_name_": "aws_s3_bucket.lake",
          "file_path_": "/main.tf", "source_": "Terraform"}
POLICY = {**BUCKET, "resource_type": "aws_s3_bucket_policy", "block_name_": "aws_s3_bucket_policy.lake",
          "bucket": "aws_s3_bucket.lake.id"}


def test_the_index_follows_references_and_dies_with_its_graph():
    graph = ResourceGraph([(0, BUCKET), (1, POLICY)], [(1, 0, "bucket")])
    links = references_of(graph).links(graph.vertex(1), "bucket", ("aws_s3_bucket",))
    assert [target.index for target in links.targets] == [0]
    assert references_of(graph) is references_of(graph)
    collected = weakref.ref(graph)
    del graph, links
    # Freed at once, by reference counting: no garbage collection runs before a Checkov process exits.
    assert collected() is None
