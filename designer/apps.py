"""App configuration: plug the runtime into the services once the app is ready."""

from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Stateyard designer"

    def ready(self) -> None:
        from designer.runtime.dispatch import RuntimeDispatcher
        from designer.services.child_executions import register
        from designer.services.dispatcher import dispatcher_register

        register()  # child executions' runtime hooks (states:startExecution)
        # the services hand work over through this port; they never import the runtime's
        # dispatch, the embedded pool or the Celery tasks themselves
        dispatcher_register(RuntimeDispatcher())
