"""Head office: enrolment, the first-run wizard and the sync screen."""
