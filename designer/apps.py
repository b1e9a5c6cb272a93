"""App configuration."""

from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Stateyard designer"

    def ready(self) -> None:
        from designer.services.child_executions import register

        register()  # child executions' runtime hooks (states:startExecution)

        from designer.api import strict_fields

        strict_fields.install()  # a text field takes a JSON string, not a number

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from designer.models import ApiToken
        from designer.services.tokens import token_cache_clear

        for model in (get_user_model(), ApiToken):  # a changed user or token is looked up again
            post_save.connect(token_cache_clear, sender=model, dispatch_uid=f"tokens-{model}")
            post_delete.connect(token_cache_clear, sender=model, dispatch_uid=f"tokens-d-{model}")
