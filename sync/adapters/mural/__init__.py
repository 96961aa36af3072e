"""MURAL: sign-in (OAuth 2.0 + PKCE), a thin API client, and the board sources built on it.

Entry points for the CLI and the sync engine: `commands.login`, `commands.pull`, `source.MuralBoardSource`,
`source.FileBoardSource`, `refs.mural_id_from_ref`, `archive.SnapshotArchive`.
"""
