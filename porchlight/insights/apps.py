from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "porchlight.insights"
    label = "insights"

    def ready(self) -> None:
        # Domain events from the apps below (docs/decisions/0004-domain-events.md).
        from porchlight.insights.coding.tasks import code_logged_conversation
        from porchlight.outreach.events import conversation_logged

        conversation_logged.connect(code_logged_conversation, dispatch_uid="insights.code_conversation")
