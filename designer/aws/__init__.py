"""The AWS Step Functions API (JSON 1.0 protocol) at ``/aws``: boto3, the AWS CLI and SDKs.

A thin translation layer: ``view`` reads ``X-Amz-Target``, checks the SigV4
signature (``sigv4``, keys from ``designer.services.access_keys``) and the
request against botocore's service model (``shapes``), and hands the
parameters to one operation handler (``ops_*``), which calls the same services
as the studio and the REST API. ``arns`` (in ``designer.arns``) names every
object in AWS's formats; ``errors`` speaks AWS's error shapes.
See docs/aws-api.md.
"""
