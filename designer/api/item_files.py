"""Item files API: a team's uploaded files for Distributed Maps (``services.item_files``).

``GET`` lists them (viewers and up), ``POST`` (multipart: ``key`` and ``file``)
uploads or replaces one and ``DELETE ?key=`` removes one (editors and owners);
other teams get 404.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.errors import ValidationFailed
from designer.services.item_files import item_file_delete, item_file_list, item_file_upload


class TeamItemFilesView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, slug: str) -> Response:
        return Response({"results": item_file_list(actor=request.user, team_slug=slug)})

    @extend_schema(
        request={"multipart/form-data": OpenApiTypes.OBJECT}, responses={201: OpenApiTypes.OBJECT}
    )
    def post(self, request: Request, slug: str) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("Send the file as the multipart field 'file'.")
        key = request.data.get("key") or upload.name
        described = item_file_upload(actor=request.user, team_slug=slug, key=key, upload=upload)
        return Response(described, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("key", str, required=True)], responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        item_file_delete(actor=request.user, team_slug=slug, key=request.query_params.get("key"))
        return Response(status=status.HTTP_204_NO_CONTENT)
