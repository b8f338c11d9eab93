"""Reports people read: the HTML plan report, the Excel ledger and the scenario comparison."""
