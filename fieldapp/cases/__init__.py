"""Cases and contacts: opening, logging, amending, closing, caseloads."""
