"""All of accounting's SQL: one repository per aggregate or area, declared on ``SqlAccountingWork``."""
