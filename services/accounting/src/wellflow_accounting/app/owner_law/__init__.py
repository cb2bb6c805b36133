"""Texas owner-payment law (docs/owner-payment-law.md): the 91.403 rate data, the late-payment clock and its daily
check, owners' 91.504 information requests, escheat of unclaimed suspense (Property Code ch. 74)."""
