"""The bundled examples, scanned by real Checkov: the exact CKV_RSPEC_6 and CKV_RSPEC_7 results.

Clusters without enhanced VPC routing (the role_trust examples) have none.
"""


def _both(path, resource, glue, s3):
    return {("CKV_RSPEC_6", path, resource, glue), ("CKV_RSPEC_7", path, resource, s3)}


NETWORK_TERRAFORM = (
    _both("/network/no_path_failing/main.tf", "aws_redshift_cluster.warehouse", "FAILED", "FAILED")
    | _both("/network/glue_endpoint_private_dns_passing/main.tf", "aws_redshift_cluster.lake", "PASSED", "PASSED")
    | _both("/network/glue_endpoint_without_private_dns/main.tf", "aws_redshift_cluster.analytics", "FAILED", "PASSED")
    | _both("/network/nat_explicit_association_passing/main.tf", "aws_redshift_cluster.reporting", "PASSED", "PASSED")
    | _both("/network/nat_main_route_table_passing/main.tf", "aws_redshift_cluster.finance", "PASSED", "PASSED")
    | _both(
        "/network/internet_gateway_public_cluster_passing/main.tf", "aws_redshift_cluster.sandbox", "PASSED", "PASSED"
    )
    | _both(
        "/network/internet_gateway_private_cluster_failing/main.tf",
        "aws_redshift_cluster.marketing",
        "FAILED",
        "FAILED",
    )
    | _both("/network/security_group_blocks_443_failing/main.tf", "aws_redshift_cluster.ops", "FAILED", "FAILED")
    | _both("/network/serverless_workgroup/main.tf", "aws_redshiftserverless_workgroup.science", "PASSED", "FAILED")
    | _both("/network/nat_without_internet_failing/main.tf", "aws_redshift_cluster.billing", "FAILED", "FAILED")
    | _both(
        "/network/glue_endpoint_rejects_cluster_failing/main.tf", "aws_redshift_cluster.audit", "FAILED", "PASSED"
    )
    | _both("/network/local_module_network/main.tf", "aws_redshift_cluster.platform", "PASSED", "PASSED")
    | _both("/modules/nested_spectrum_stack_passing/main.tf", "aws_redshift_cluster.platform", "PASSED", "PASSED")
    | _both("/modules/nested_spectrum_stack_vpce_only_failing/main.tf", "aws_redshift_cluster.edge", "PASSED", "PASSED")
    # The plan example's source is Terraform too, and agrees with its plan.
    | _both("/plan/network/main.tf", "aws_redshift_cluster.plan_review", "PASSED", "PASSED")
    | _both("/plan/network/main.tf", "aws_redshiftserverless_workgroup.isolated", "PASSED", "FAILED")
    # The S3 access examples with enhanced VPC routing have both endpoints.
    | _both("/s3_access/vpce_restricted_lake_failing/main.tf", "aws_redshift_cluster.analytics", "PASSED", "PASSED")
    | _both(
        "/s3_access/serverless_vpce_lakehouse_passing/main.tf",
        "aws_redshiftserverless_workgroup.lakehouse",
        "PASSED",
        "PASSED",
    )
)

NETWORK_PLAN = _both("/plan/network/tfplan.json", "aws_redshift_cluster.plan_review", "PASSED", "PASSED") | _both(
    "/plan/network/tfplan.json", "aws_redshiftserverless_workgroup.isolated", "PASSED", "FAILED"
)

NETWORK_CLOUDFORMATION = (
    _both("/network/no_path.yaml", "AWS::Redshift::Cluster.Warehouse", "FAILED", "FAILED")
    | _both("/network/glue_and_s3_endpoints.yaml", "AWS::Redshift::Cluster.Lake", "PASSED", "PASSED")
    | _both("/network/glue_endpoint_without_private_dns.yaml", "AWS::Redshift::Cluster.Analytics", "FAILED", "PASSED")
    | _both("/network/nat_explicit_association.yaml", "AWS::Redshift::Cluster.Reporting", "PASSED", "PASSED")
    | _both("/network/main_route_table_only.yaml", "AWS::Redshift::Cluster.Finance", "FAILED", "FAILED")
    | _both("/network/internet_gateway_public_cluster.yaml", "AWS::Redshift::Cluster.Sandbox", "PASSED", "PASSED")
    | _both("/network/internet_gateway_private_cluster.yaml", "AWS::Redshift::Cluster.Marketing", "FAILED", "FAILED")
    | _both("/network/security_group_blocks_443.yaml", "AWS::Redshift::Cluster.Ops", "FAILED", "FAILED")
    | _both("/network/nat_private_connectivity.yaml", "AWS::Redshift::Cluster.Billing", "FAILED", "FAILED")
    | _both("/network/glue_endpoint_rejects_cluster.yaml", "AWS::Redshift::Cluster.Audit", "FAILED", "PASSED")
    | _both(
        "/network/serverless_workgroup.json", "AWS::RedshiftServerless::Workgroup.ScienceWorkgroup", "PASSED", "PASSED"
    )
    | _both(
        "/s3_access/data_lake_restricted_failing.yaml", "AWS::Redshift::Cluster.AnalyticsCluster", "PASSED", "PASSED"
    )
    | _both(
        "/s3_access/lakehouse_serverless_failing.json",
        "AWS::RedshiftServerless::Workgroup.Workgroup",
        "PASSED",
        "PASSED",
    )
)


def test_terraform_examples(terraform_examples_scan):
    assert terraform_examples_scan.results("CKV_RSPEC_6", "CKV_RSPEC_7") == NETWORK_TERRAFORM | NETWORK_PLAN


def test_cloudformation_examples(cloudformation_examples_scan):
    assert cloudformation_examples_scan.results("CKV_RSPEC_6", "CKV_RSPEC_7") == NETWORK_CLOUDFORMATION


def _details(scan, check_id, path, resource):
    [message] = scan.details[(check_id, path, resource)]
    return message


def test_no_path_names_the_subnets_what_breaks_and_the_endpoint_to_add(terraform_examples_scan):
    path, cluster = "/network/no_path_failing/main.tf", "aws_redshift_cluster.warehouse"
    glue = _details(terraform_examples_scan, "CKV_RSPEC_6", path, cluster)
    assert "aws_subnet.private_a, aws_subnet.private_b" in glue and "aws_route_table.private" in glue
    assert "catalog lookup" in glue
    assert 'Fix: add resource "aws_vpc_endpoint" "glue"' in glue and "private_dns_enabled = true" in glue
    s3 = _details(terraform_examples_scan, "CKV_RSPEC_7", path, cluster)
    assert "COPY and UNLOAD fail on S3" in s3
    assert 'vpc_endpoint_type = "Gateway", route_table_ids = [aws_route_table.private.id]' in s3


def test_fix_repairs_an_endpoint_that_is_nearly_right(terraform_examples_scan, cloudformation_examples_scan):
    terraform = _details(
        terraform_examples_scan,
        "CKV_RSPEC_6",
        "/network/glue_endpoint_without_private_dns/main.tf",
        "aws_redshift_cluster.analytics",
    )
    assert "private DNS is off" in terraform
    assert terraform.endswith("Fix: set private_dns_enabled = true on aws_vpc_endpoint.glue.")
    cloudformation = _details(
        cloudformation_examples_scan,
        "CKV_RSPEC_6",
        "/network/glue_endpoint_without_private_dns.yaml",
        "AWS::Redshift::Cluster.Analytics",
    )
    assert cloudformation.endswith("Fix: set PrivateDnsEnabled: true on AWS::EC2::VPCEndpoint.GlueEndpoint.")


def test_failures_explain_the_way_out_that_does_not_work(terraform_examples_scan, cloudformation_examples_scan):
    blocked = _details(
        terraform_examples_scan,
        "CKV_RSPEC_7",
        "/network/security_group_blocks_443_failing/main.tf",
        "aws_redshift_cluster.ops",
    )
    assert "NAT gateway aws_nat_gateway.ops" in blocked and "allow no TCP 443 egress" in blocked
    private = _details(
        terraform_examples_scan,
        "CKV_RSPEC_6",
        "/network/internet_gateway_private_cluster_failing/main.tf",
        "aws_redshift_cluster.marketing",
    )
    assert "no public IP" in private and "AWS provider ~> 6.0" in private
    serverless = _details(
        terraform_examples_scan,
        "CKV_RSPEC_7",
        "/network/serverless_workgroup/main.tf",
        "aws_redshiftserverless_workgroup.science",
    )
    assert "Redshift Spectrum queries fail on S3" in serverless
    main_table = _details(
        cloudformation_examples_scan,
        "CKV_RSPEC_7",
        "/network/main_route_table_only.yaml",
        "AWS::Redshift::Cluster.Finance",
    )
    assert "no route table association, so the VPC's main route table" in main_table
    assert "AWS::EC2::VPCEndpoint" in main_table


def test_a_nat_gateway_without_internet_and_an_endpoint_that_rejects_the_cluster_are_explained(
    terraform_examples_scan, cloudformation_examples_scan
):
    stranded = _details(
        terraform_examples_scan,
        "CKV_RSPEC_6",
        "/network/nat_without_internet_failing/main.tf",
        "aws_redshift_cluster.billing",
    )
    assert "NAT gateway aws_nat_gateway.billing" in stranded
    assert "its subnet aws_subnet.public (the main route table of aws_vpc.billing) has no 0.0.0.0/0 route" in stranded
    private = _details(
        cloudformation_examples_scan,
        "CKV_RSPEC_7",
        "/network/nat_private_connectivity.yaml",
        "AWS::Redshift::Cluster.Billing",
    )
    assert "private NAT gateway (ConnectivityType = private)" in private
    for scan, path, cluster, rule in (
        (
            terraform_examples_scan,
            "/network/glue_endpoint_rejects_cluster_failing/main.tf",
            "aws_redshift_cluster.audit",
            "an aws_vpc_security_group_ingress_rule on the security group of aws_vpc_endpoint.glue.",
        ),
        (
            cloudformation_examples_scan,
            "/network/glue_endpoint_rejects_cluster.yaml",
            "AWS::Redshift::Cluster.Audit",
            "an AWS::EC2::SecurityGroupIngress on the security group of AWS::EC2::VPCEndpoint.GlueEndpoint.",
        ),
    ):
        rejected = _details(scan, "CKV_RSPEC_6", path, cluster)
        assert "admit no TCP 443 from the cluster's security groups" in rejected
        assert rejected.endswith(f"Fix: admit TCP 443 from the provisioned cluster's security group with {rule}")


def test_no_network_unknowns_or_errors_logged(terraform_examples_scan, cloudformation_examples_scan):
    for one in (terraform_examples_scan, cloudformation_examples_scan):
        assert "CKV_RSPEC_6 UNKNOWN" not in one.stderr and "CKV_RSPEC_7 UNKNOWN" not in one.stderr, one.stderr
        assert "ERROR" not in one.stderr, one.stderr
