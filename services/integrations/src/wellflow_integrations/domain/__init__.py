"""Plain rules of integrations: feed names and start points, webhook signatures, retry timing, address checks."""
