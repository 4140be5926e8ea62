"""The Excel round trip: export records into a workbook people edit, import the edits back all or nothing."""
