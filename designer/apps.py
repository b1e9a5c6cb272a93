"""App configuration: plug the runtime into the services once the app is ready."""

from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Stateyard designer"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_save

        from designer import log_redaction
        from designer.runtime.dispatch import RuntimeDispatcher
        from designer.services.access_events import access_on_log_out, access_on_user_saved
        from designer.services.child_executions import register
        from designer.services.dispatcher import dispatcher_register

        register()  # child executions' runtime hooks (states:startExecution)
        from designer.services import map_runs

        map_runs.register()  # Distributed Map runs' runtime hooks (StartMapRun)
        # the services hand work over through this port; they never import the runtime's
        # dispatch, the embedded pool or the Celery tasks themselves
        dispatcher_register(RuntimeDispatcher())
        log_redaction.install()  # no API token from a websocket URL in the logs
        user_logged_out.connect(access_on_log_out, dispatch_uid="designer.access_on_log_out")
        post_save.connect(
            access_on_user_saved, sender=get_user_model(), dispatch_uid="designer.access_on_saved"
        )

        from django.db.models.signals import post_delete

        from designer.api import strict_fields
        from designer.models import ApiToken
        from designer.services.tokens import token_changed

        strict_fields.install()  # a text field takes a JSON string, not a number
        for model in (get_user_model(), ApiToken):  # a changed user or token is looked up again
            post_save.connect(token_changed, sender=model, dispatch_uid=f"tokens-{model}")
            post_delete.connect(token_changed, sender=model, dispatch_uid=f"tokens-d-{model}")

        from designer.models import AccessKey, Membership
        from designer.services.access_keys import access_key_cache_clear

        # an access key is looked up again when it, its user or a membership changes
        for watched in (get_user_model(), AccessKey, Membership):
            post_save.connect(
                access_key_cache_clear, sender=watched, dispatch_uid=f"keys-{watched}"
            )
            post_delete.connect(
                access_key_cache_clear, sender=watched, dispatch_uid=f"keys-d-{watched}"
            )
