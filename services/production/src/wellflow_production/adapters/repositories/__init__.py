"""All of production's SQL: one repository per aggregate or area, on one unit of work's connection
(``adapters.unit_of_work.SqlProductionWork`` declares them; ``app.ports`` says what use cases see of them)."""
