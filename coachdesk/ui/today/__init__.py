"""The Today area: due items across the caseload and a month calendar."""
