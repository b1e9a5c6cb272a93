"""``/aws``: the AWS Step Functions endpoint (SDKs post to the endpoint URL's own path)."""

from django.urls import path

from designer.aws.view import aws_endpoint

urlpatterns = [
    path("aws", aws_endpoint, name="aws-api"),
    path("aws/", aws_endpoint),
]
