"""Built-in rules, one module each; each module is a pluggy plugin of ``holdthread_rules``."""
