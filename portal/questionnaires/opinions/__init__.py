"""The opinion box: members send requests and opinions to the national government; staff
triage them in the admin and may publish an answer that members read."""
