from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PlansConfig(AppConfig):
    name = "chiso.web.plans"
    label = "plans"
    verbose_name = pgettext_lazy("app name", "Kế hoạch nâng cao chỉ số")

    def ready(self) -> None:
        """The gap table below a score sheet and on a unit's public profile: panels on the
        cycles app's and the portal's pages, which know nothing of plans."""
        from chiso.web.core import panels
        from chiso.web.plans import leader
        from chiso.web.plans.insights import profile_panel, sheet_panel

        panels.register("cycles.sheet", "plans.gaps", sheet_panel)
        panels.register("portal.profile", "plans.gaps", profile_panel)
        # the plans' progress on the leader's view and in its brief
        panels.register("cycles.leader", "plans.progress", leader.leader_panel)
        panels.register("cycles.leader_brief", "plans.progress", leader.leader_brief)
