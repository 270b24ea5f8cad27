"""Kafka security: SASL client settings and ACLs derived from service definitions."""
