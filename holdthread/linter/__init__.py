"""The engine: knows no single rule, helpdesk or output format."""
