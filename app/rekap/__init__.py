"""`replikasi report`: the coordinator's recap per region and stage, as PDF and XLSX."""
