"""The kinds of notice and their texts: Vietnamese source texts, translated in the reader's
language when shown or sent (the notice keeps its parameters, not its words)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

STAGE_OPENED = "stage_opened"
DEADLINE = "deadline"
CUT_WAITING = "cut_waiting"
EXPLANATION_ANSWERED = "explanation_answered"
TASK_DUE = "task_due"

KIND_CHOICES = [
    (STAGE_OPENED, _("Một giai đoạn của kỳ đánh giá bắt đầu")),
    (DEADLINE, _("Hạn của giai đoạn còn 3 ngày và 1 ngày")),
    (CUT_WAITING, _("Điểm bị trừ đang chờ giải trình")),
    (EXPLANATION_ANSWERED, _("Giải trình đã được trả lời")),
    (TASK_DUE, _("Nhiệm vụ của kế hoạch sắp đến hạn")),
]
KINDS = [code for code, _label in KIND_CHOICES]

SUBJECTS = {
    STAGE_OPENED: gettext_noop("{cycle}: bắt đầu giai đoạn {stage}"),
    DEADLINE: gettext_noop("{cycle}: giai đoạn {stage} hết hạn ngày {date}"),
    CUT_WAITING: gettext_noop("{cycle}: {unit} có {count} tiêu chí bị trừ điểm chờ giải trình"),
    EXPLANATION_ANSWERED: gettext_noop("{cycle}: giải trình tiêu chí {code} đã được trả lời"),
    TASK_DUE: gettext_noop("Nhiệm vụ tiêu chí {code} của {unit} đến hạn ngày {date}"),
}
"""One line saying it all (the e-mail's subject, the inbox's row)."""

BODIES = {
    STAGE_OPENED: gettext_noop("Kỳ đánh giá «{cycle}» đã chuyển sang giai đoạn {stage}. {until}"),
    DEADLINE: gettext_noop(
        "Giai đoạn {stage} của kỳ «{cycle}» cho {unit} hết hạn ngày {date}, còn {days} ngày."
    ),
    CUT_WAITING: gettext_noop(
        "Hội đồng thẩm định đã trừ điểm {count} tiêu chí của {unit} trong kỳ «{cycle}». "
        "Đơn vị có thể giải trình từng tiêu chí trong giai đoạn giải trình. {until}"
    ),
    EXPLANATION_ANSWERED: gettext_noop(
        "Giải trình của {unit} về tiêu chí {code} trong kỳ «{cycle}» đã được trả lời: {outcome}."
    ),
    TASK_DUE: gettext_noop(
        "Nhiệm vụ cải thiện tiêu chí {code} trong kế hoạch năm {year} của {unit} chưa hoàn "
        "thành và đến hạn ngày {date}."
    ),
}
UNTIL = gettext_noop("Hạn: {date}.")
"""Appended where the stage has a deadline."""
