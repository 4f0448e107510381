"""Built-in integrations, each a pluggy plugin: presets, helpdesk sources, output formats."""
