"""Head office: enrolment, sync status, settings pulled from the cloud, support logs."""
