class BackupRefused(Exception):
    """A backup or a restore that stopped before changing anything it should not, saying why in plain words."""
