"""The questionnaire builder: one StreamField block per question type, plus section headings.

Every question has a short ``key`` (unique in the questionnaire) that its answers are stored
under and that display conditions refer to. The whole stream is checked together when it is
saved (:class:`QuestionStreamBlock`): keys unique, each condition pointing at an earlier
question with an operator and a value that fit that question.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,29}$"


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Option (Japanese)"), max_length=200)
    label_en = blocks.CharBlock(label=_("Option (English)"), max_length=200, required=False)

    class Meta:
        icon = "radio-full"
        label = _("Option")


class ConditionBlock(blocks.StructBlock):
    question = blocks.CharBlock(
        label=_("Show only when question (key)"),
        required=False,
        max_length=30,
        help_text=_("The key of an earlier question. Leave empty to always show this question."),
    )
    operator = blocks.ChoiceBlock(
        label=_("Condition"),
        required=False,
        choices=[
            ("is", _("is")),
            ("includes", _("includes")),
            ("at_least", _("is at least")),
        ],
    )
    value = blocks.CharBlock(
        label=_("Value"),
        required=False,
        max_length=200,
        help_text=_(
            "An option's text or number (1 = first option), a number, a date (YYYY-MM-DD), "
            "or a prefecture's or field's name."
        ),
    )

    class Meta:
        label = _("Display condition")
        collapsed = True
        form_classname = "questionnaire-condition"


class QuestionBlock(blocks.StructBlock):
    """What every question type has in common."""

    key = blocks.RegexBlock(
        regex=KEY_PATTERN,
        label=_("Key"),
        max_length=30,
        help_text=_("A short name such as q1 or work_days: lower-case letters, digits and _."),
        error_messages={
            "invalid": _(
                "Use lower-case letters, digits and _ (starting with a letter), at most 30. / "
                "英小文字・数字・_（先頭は英字）で30文字以内にしてください。"
            )
        },
    )
    label = blocks.CharBlock(label=_("Question (Japanese)"), max_length=500)
    label_en = blocks.CharBlock(label=_("Question (English)"), max_length=500, required=False)
    help = blocks.TextBlock(label=_("Help text (Japanese)"), required=False)
    help_en = blocks.TextBlock(label=_("Help text (English)"), required=False)
    required = blocks.BooleanBlock(label=_("Answer required"), required=False, default=True)
    condition = ConditionBlock()

    class Meta:
        icon = "help"


class ChoiceQuestionBlock(QuestionBlock):
    options = blocks.ListBlock(OptionBlock(), label=_("Options"), min_num=2)
    allow_other = blocks.BooleanBlock(
        label=_("Offer “other” with a text box"), required=False, default=False
    )


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceBlock(ChoiceQuestionBlock):
    max_choices = blocks.IntegerBlock(
        label=_("At most this many choices"), required=False, min_value=1
    )

    class Meta:
        icon = "tick"
        label = _("Multiple choice")


class LikertBlock(QuestionBlock):
    class Meta:
        icon = "order"
        label = _("Scale 1–5 (Likert)")


class NumberBlock(QuestionBlock):
    min_value = blocks.DecimalBlock(label=_("Minimum"), required=False)
    max_value = blocks.DecimalBlock(label=_("Maximum"), required=False)
    unit = blocks.CharBlock(label=_("Unit (Japanese)"), required=False, max_length=30)
    unit_en = blocks.CharBlock(label=_("Unit (English)"), required=False, max_length=30)
    whole_number = blocks.BooleanBlock(label=_("Whole numbers only"), required=False, default=True)

    class Meta:
        icon = "decimal"
        label = _("Number")


class DateQuestionBlock(QuestionBlock):
    class Meta:
        icon = "date"
        label = _("Date")


class ShortTextBlock(QuestionBlock):
    class Meta:
        icon = "pilcrow"
        label = _("Short text")


class LongTextBlock(QuestionBlock):
    class Meta:
        icon = "doc-full"
        label = _("Long text")


class PrefectureQuestionBlock(QuestionBlock):
    class Meta:
        icon = "site"
        label = _("Prefecture")


class FieldQuestionBlock(QuestionBlock):
    multiple = blocks.BooleanBlock(label=_("Several fields may be chosen"), required=False)
    max_choices = blocks.IntegerBlock(
        label=_("At most this many choices"), required=False, min_value=1
    )

    class Meta:
        icon = "tag"
        label = _("Field of consultation")


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading (Japanese)"), max_length=200)
    heading_en = blocks.CharBlock(label=_("Heading (English)"), max_length=200, required=False)
    text = blocks.TextBlock(label=_("Introduction (Japanese)"), required=False)
    text_en = blocks.TextBlock(label=_("Introduction (English)"), required=False)

    class Meta:
        icon = "title"
        label = _("Section")


class QuestionStreamBlock(blocks.StreamBlock):
    section = SectionBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    likert = LikertBlock()
    number = NumberBlock()
    date = DateQuestionBlock()
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    prefecture = PrefectureQuestionBlock()
    field = FieldQuestionBlock()

    class Meta:
        min_num = 1

    def clean(self, value):
        from .questions import stream_errors

        value = super().clean(value)
        errors = stream_errors(value)
        if errors:
            raise StreamBlockValidationError(
                block_errors={
                    index: StructBlockValidationError(
                        block_errors=problems.get("fields"), non_block_errors=problems.get("block")
                    )
                    for index, problems in errors.items()
                }
            )
        return value


# Raw stream values (what a questionnaire's ``questions`` field stores), for code that builds
# questionnaires: the demo data and the benchmark.


def question(kind, key, label, label_en="", *, required=True, condition=None, **extra) -> dict:
    """One question block. ``condition=("q1", "is", "はい")``; ``options`` as texts or
    ``(Japanese, English)`` pairs."""
    value = {"key": key, "label": label, "label_en": label_en, "required": required}
    if condition:
        value["condition"] = dict(zip(("question", "operator", "value"), condition, strict=True))
    if "options" in extra:
        extra["options"] = [
            {"label": o, "label_en": ""}
            if isinstance(o, str)
            else {"label": o[0], "label_en": o[1]}
            for o in extra["options"]
        ]
    value.update(extra)
    return {"type": kind, "value": value}


def section(heading, heading_en="", text="", text_en="") -> dict:
    return {
        "type": "section",
        "value": {"heading": heading, "heading_en": heading_en, "text": text, "text_en": text_en},
    }
