"""The governance service: role bindings, policies and the organisation-wide audit log."""
