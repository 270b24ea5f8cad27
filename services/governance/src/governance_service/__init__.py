"""The governance service: role bindings, governance policies and the organisation-wide audit log."""
