"""Reading vote data before anything is written: a Pol.is export or our own simple CSV pair.

A Pol.is export is a folder (or a zip of one) with comments.csv (the statements), participants-votes.csv (one
row per participant: their Pol.is group-id and a column per statement) and, in fuller exports, votes.csv
(every vote with a timestamp; the latest per participant and statement counts). Votes: 1 agree, -1 disagree,
0 pass. Comments moderated out (moderated = -1) are kept but left out of the analysis.

Our own format is two CSV files: statements (statement_id,text) and votes (participant_id,statement_id,vote),
where vote may also be written agree / disagree / pass.

Every problem is collected as a row error naming the file and row, so a person can fix the file in one go.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

MAX_ERRORS = 50
MAX_FILE_BYTES = 50 * 1024 * 1024
VOTE_WORDS = {"agree": 1, "disagree": -1, "pass": 0, "1": 1, "-1": -1, "0": 0, "+1": 1}
POLIS_FILES = ("comments.csv", "participants-votes.csv", "votes.csv")


@dataclass
class ParsedVotes:
    """Statements, participants and votes read from files, with every problem found."""

    statements: dict[str, tuple[str, bool]] = field(default_factory=dict)  # id -> (text, moderated_out)
    participants: dict[str, str] = field(default_factory=dict)  # id -> source group ("" if none)
    votes: dict[tuple[str, str], int] = field(default_factory=dict)  # (participant, statement) -> value
    errors: list[str] = field(default_factory=list)
    is_polis: bool = False

    def error(self, filename: str, row: int | None, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            where = f"{filename}, row {row}" if row is not None else filename
            self.errors.append(f"{where}: {message}")
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append(_("…and more problems; fix these first."))


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (lower-cased, trimmed) and data rows numbered as a spreadsheet shows them (header = row 1)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], []
    rows = []
    for i, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((i, {header[c]: values[c].strip() for c in range(min(len(header), len(values)))}))
    return header, rows


def _int_id(value: str) -> str | None:
    """Pol.is ids are whole numbers; keep them as text without leading zeros or a trailing ".0"."""
    try:
        number = float(value)
    except ValueError:
        return None
    if number != int(number) or number < 0:
        return None
    return str(int(number))


def _vote(value: str) -> int | None:
    value = value.strip().lower()
    if value in VOTE_WORDS:
        return VOTE_WORDS[value]
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number in (-1.0, 0.0, 1.0) else None


def files_from_zip(data: bytes) -> dict[str, bytes]:
    """The CSV files of a zipped export, by base name (the export may sit inside a folder)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ValueError(_("This is not a zip file.")) from exc
    files: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            name = Path(info.filename).name.lower()
            if name in POLIS_FILES and not info.is_dir():
                if info.file_size > MAX_FILE_BYTES:
                    raise ValueError(_("%(name)s is too large.") % {"name": name})
                files.setdefault(name, archive.read(info))
    return files


def files_from_folder(folder: str | Path) -> dict[str, bytes]:
    folder = Path(folder)
    return {name: (folder / name).read_bytes() for name in POLIS_FILES if (folder / name).exists()}


def parse_polis(files: Mapping[str, bytes | str]) -> ParsedVotes:
    """Read a Pol.is export given as {file name: content}."""
    parsed = ParsedVotes(is_polis=True)
    if "comments.csv" not in files:
        parsed.error("comments.csv", None, _("the export has no comments.csv."))
    if "participants-votes.csv" not in files and "votes.csv" not in files:
        parsed.error(
            "participants-votes.csv", None, _("the export has neither participants-votes.csv nor votes.csv.")
        )
    if parsed.errors:
        return parsed
    _parse_comments(parsed, _decode(files["comments.csv"]))
    if "participants-votes.csv" in files:
        _parse_participants_votes(parsed, _decode(files["participants-votes.csv"]),
                                  take_votes="votes.csv" not in files)
    if "votes.csv" in files:
        _parse_polis_votes(parsed, _decode(files["votes.csv"]))
    if not parsed.errors and not parsed.votes:
        source = "votes.csv" if "votes.csv" in files else "participants-votes.csv"
        parsed.error(source, None, _("there are no votes."))
    return parsed


def _parse_comments(parsed: ParsedVotes, text: str) -> None:
    name = "comments.csv"
    header, rows = _rows(text)
    missing = [c for c in ("comment-id", "comment-body") if c not in header]
    if missing:
        parsed.error(name, 1, _("missing column(s): %(cols)s") % {"cols": ", ".join(missing)})
        return
    for row_no, row in rows:
        sid = _int_id(row.get("comment-id", ""))
        body = row.get("comment-body", "")
        if sid is None:
            parsed.error(name, row_no, _("comment-id must be a whole number, not “%(v)s”.") %
                         {"v": row.get("comment-id", "")})
            continue
        if not body:
            parsed.error(name, row_no, _("the comment has no text."))
            continue
        if sid in parsed.statements:
            parsed.error(name, row_no, _("comment-id %(id)s appears twice.") % {"id": sid})
            continue
        moderated = row.get("moderated", "").strip()
        if moderated not in ("", "-1", "0", "1"):
            parsed.error(name, row_no, _("moderated must be -1, 0 or 1, not “%(v)s”.") % {"v": moderated})
            continue
        parsed.statements[sid] = (body, moderated == "-1")


def _parse_participants_votes(parsed: ParsedVotes, text: str, *, take_votes: bool) -> None:
    name = "participants-votes.csv"
    header, rows = _rows(text)
    if "participant" not in header:
        parsed.error(name, 1, _("missing column: participant"))
        return
    statement_columns = [(h, c) for h in header if (c := _int_id(h)) is not None and h != "participant"]
    for column, comment_id in statement_columns:
        if comment_id not in parsed.statements:
            parsed.error(name, 1, _("column %(c)s is not a comment-id in comments.csv.") % {"c": column})
    for row_no, row in rows:
        pid = _int_id(row.get("participant", ""))
        if pid is None:
            parsed.error(name, row_no, _("participant must be a whole number, not “%(v)s”.") %
                         {"v": row.get("participant", "")})
            continue
        if pid in parsed.participants:
            parsed.error(name, row_no, _("participant %(id)s appears twice.") % {"id": pid})
            continue
        group = row.get("group-id", "")
        group_id = _int_id(group) if group else ""
        if group_id is None:
            parsed.error(name, row_no, _("group-id must be a whole number, not “%(v)s”.") % {"v": group})
            continue
        parsed.participants[pid] = group_id
        for column, comment_id in statement_columns:
            value = row.get(column, "")
            if value == "":
                continue
            vote = _vote(value)
            if vote is None:
                parsed.error(name, row_no, _("the vote on comment %(c)s must be 1, 0 or -1, not “%(v)s”.") %
                             {"c": column, "v": value})
            elif take_votes:
                parsed.votes[(pid, comment_id)] = vote


def _parse_polis_votes(parsed: ParsedVotes, text: str) -> None:
    name = "votes.csv"
    header, rows = _rows(text)
    missing = [c for c in ("comment-id", "voter-id", "vote") if c not in header]
    if missing:
        parsed.error(name, 1, _("missing column(s): %(cols)s") % {"cols": ", ".join(missing)})
        return
    latest: dict[tuple[str, str], tuple[float, int]] = {}
    for row_no, row in rows:
        pid, sid, vote = _int_id(row["voter-id"]), _int_id(row["comment-id"]), _vote(row["vote"])
        if pid is None or sid is None or vote is None:
            parsed.error(
                name, row_no, _("voter-id and comment-id must be whole numbers and vote 1, 0 or -1.")
            )
            continue
        if sid not in parsed.statements:
            parsed.error(name, row_no, _("comment-id %(id)s is not in comments.csv.") % {"id": sid})
            continue
        try:
            stamp = float(row.get("timestamp") or row_no)
        except ValueError:
            stamp = float(row_no)
        # A participant may change a vote; the latest one counts (rows later in the file win ties).
        if (pid, sid) not in latest or stamp >= latest[(pid, sid)][0]:
            latest[(pid, sid)] = (stamp, vote)
        parsed.participants.setdefault(pid, "")
    parsed.votes = {key: vote for key, (_stamp, vote) in latest.items()}


def parse_simple(statements_csv: bytes | str, votes_csv: bytes | str) -> ParsedVotes:
    """Read our own format: statements (statement_id,text) and votes (participant_id,statement_id,vote)."""
    parsed = ParsedVotes()
    header, rows = _rows(_decode(statements_csv))
    name = _("statements file")
    missing = [c for c in ("statement_id", "text") if c not in header]
    if missing:
        parsed.error(name, 1, _("missing column(s): %(cols)s") % {"cols": ", ".join(missing)})
    for row_no, row in rows if not missing else []:
        sid, body = row.get("statement_id", ""), row.get("text", "")
        if not sid:
            parsed.error(name, row_no, _("statement_id is empty."))
        elif len(sid) > 50:
            parsed.error(name, row_no, _("statement_id is longer than 50 characters."))
        elif not body:
            parsed.error(name, row_no, _("the statement has no text."))
        elif sid in parsed.statements:
            parsed.error(name, row_no, _("statement_id %(id)s appears twice.") % {"id": sid})
        else:
            parsed.statements[sid] = (body, False)
    header, rows = _rows(_decode(votes_csv))
    name = _("votes file")
    missing = [c for c in ("participant_id", "statement_id", "vote") if c not in header]
    if missing:
        parsed.error(name, 1, _("missing column(s): %(cols)s") % {"cols": ", ".join(missing)})
        return parsed
    for row_no, row in rows:
        pid, sid, value = row.get("participant_id", ""), row.get("statement_id", ""), row.get("vote", "")
        vote = _vote(value)
        if not pid or len(pid) > 50:
            parsed.error(name, row_no, _("participant_id must be 1 to 50 characters."))
        elif sid not in parsed.statements:
            message = _("statement_id “%(id)s” is not in the statements file.") % {"id": sid}
            parsed.error(name, row_no, message)
        elif vote is None:
            parsed.error(name, row_no, _("vote must be agree, disagree, pass, 1, -1 or 0, not “%(v)s”.") %
                         {"v": value})
        elif (pid, sid) in parsed.votes and parsed.votes[(pid, sid)] != vote:
            message = _("participant %(p)s votes twice on statement %(s)s.") % {"p": pid, "s": sid}
            parsed.error(name, row_no, message)
        else:
            parsed.participants.setdefault(pid, "")
            parsed.votes[(pid, sid)] = vote
    if not parsed.errors and not parsed.votes:
        parsed.error(name, None, _("there are no votes."))
    return parsed
