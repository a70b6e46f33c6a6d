from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "chiso.web.cycles"
    label = "cycles"
    verbose_name = "Kỳ đánh giá"

    def ready(self) -> None:
        """Every write to a cycle's audit trail moves the cycle's revisions on (the keys of its
        kept pages, :mod:`chiso.web.cycles.pages`)."""
        from chiso.web.core.audit import written
        from chiso.web.cycles.pages import moved_on

        written.connect(moved_on, dispatch_uid="chiso.cycles.revision")
