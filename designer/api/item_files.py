"""Item files API: a team's uploaded files for Distributed Maps (``services.item_files``).

``GET`` lists them (viewers and up), ``POST`` (multipart: ``key`` and ``file``, at
most 4 MiB) uploads one (201) or replaces the file of that key (200, ``"replaced":
true``) and ``DELETE ?key=`` removes one (editors and owners); other teams get 404.
Without a ``key`` field the file's name is the key; a blank ``key`` is refused (400),
so is a key with ``//`` or a ``.`` part; a key that is a folder of other files or lies
under a file gets 409.
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
        request={"multipart/form-data": OpenApiTypes.OBJECT},
        responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT},
        description=(
            "Upload an item file (multipart `key` and `file`, at most 4 MiB). Without `key` "
            "the file's name is the key; a blank key is refused. Replacing a file answers 200 "
            'with `"replaced": true`; a key that is a folder or lies under a file answers 409.'
        ),
    )
    def post(self, request: Request, slug: str) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationFailed("Send the file as the multipart field 'file'.")
        key = request.data.get("key", upload.name)
        if not str(key).strip():
            raise ValidationFailed(
                "key is blank: give the file's key, or leave the field out to use the file's name."
            )
        described = item_file_upload(actor=request.user, team_slug=slug, key=key, upload=upload)
        code = status.HTTP_200_OK if described["replaced"] else status.HTTP_201_CREATED
        return Response(described, status=code)

    @extend_schema(parameters=[OpenApiParameter("key", str, required=True)], responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        item_file_delete(actor=request.user, team_slug=slug, key=request.query_params.get("key"))
        return Response(status=status.HTTP_204_NO_CONTENT)
