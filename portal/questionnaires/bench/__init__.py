"""The questionnaire submission benchmark (``manage.py bench_questionnaire``)."""
