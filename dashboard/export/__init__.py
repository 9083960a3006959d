"""Files that leave the dashboard: chart images and CSVs, the briefing pack, the command line."""
