"""All SQL of the wells service: one repository per aggregate or area, declared on ``SqlWellsWork``."""
