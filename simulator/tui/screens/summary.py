"""The summary screen: every question's coverage and time, per-topic means, what to practise.

After an exam (no feedback in between) the questions are a table with a row cursor: Enter opens
that answer's feedback screen, with its follow-up, and Escape comes back here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from content.questions import Question
from simulator.format import mmss, percent
from simulator.session import Session, Summary

if TYPE_CHECKING:
    from simulator.store import Store
    from simulator.tui.app import InterviewApp


class SummaryScreen(Screen[None]):
    """The end of a session."""

    BINDINGS = [
        Binding("n", "new_session", "New session", id="new_session"),
        Binding("v", "app.review", "Review past sessions", id="review"),
        Binding("q", "app.quit", "Quit", id="quit_summary", show=False),
    ]
    app: InterviewApp

    def __init__(self, summary: Summary, session: Session | None = None) -> None:
        super().__init__()
        self.summary = summary
        self.session = session

    @property
    def exam(self) -> bool:
        return self.session is not None and self.session.settings.exam

    def compose(self) -> ComposeResult:
        summary = self.summary
        heading = Text(
            f"{'Exam' if self.exam else 'Session'} over · {len(summary.rows)} answered · "
            f"mean coverage {percent(summary.mean)} · total time {mmss(summary.total_s)}"
        )
        yield Label(heading, id="summary-heading")
        with VerticalScroll(id="summary-box"):
            if self.exam and summary.rows:
                yield Label(Text("Answers (Enter opens the feedback)", style="bold"))
                yield DataTable(id="summary-answers", cursor_type="row", zebra_stripes=True)
            else:
                yield Static(self._questions(), id="summary-questions")
            yield Static(self._topics(), id="summary-topics")
            yield Static(self._practise(), id="summary-practise")
            yield Static(Text(""), id="summary-due")
        yield Footer()

    def on_mount(self) -> None:
        # after this session's answers: the journal runs its writes in order
        self.app.journal.submit(self._find_due)
        if self.exam and self.summary.rows:
            table = self.query_one("#summary-answers", DataTable)
            table.add_columns("Q", "Question", "Coverage", "Follow-up", "Time")
            for row in self.summary.rows:
                came = len(row.from_follow_up)
                asked = row.answer is not None and row.answer.follow_up is not None
                follow_up = f"+{came} point{'s' if came != 1 else ''}" if came else ""
                table.add_row(
                    Text(str(row.question.number)),
                    Text(row.question.text, overflow="ellipsis", no_wrap=True),
                    Text(percent(row.coverage)),
                    Text(follow_up or ("asked" if asked else "-")),
                    Text(mmss(row.time_s)),
                )
            table.focus()

    @on(DataTable.RowSelected, "#summary-answers")
    def _open_answer(self, event: DataTable.RowSelected) -> None:
        """An exam's answer: its feedback screen, from which Escape comes back here."""
        from simulator.tui.screens.feedback import FeedbackScreen

        row = self.summary.rows[event.cursor_row]
        if self.session is not None and row.answer is not None:
            self.app.push_screen(FeedbackScreen(self.session, row.answer, from_summary=True))

    def _find_due(self, store: Store) -> None:
        """On the store worker: the questions the schedule wants back by tomorrow."""
        from simulator.schedule import due_tomorrow

        bank = self.app.bank
        numbers = due_tomorrow(store, bank)
        self.app.call_from_thread(self._show_due, [bank.question(n) for n in numbers])

    def _show_due(self, questions: list[Question]) -> None:
        if not questions:
            text = Text("Nothing is due for review tomorrow.", style="dim")
        else:
            text = Text(f"Due for review by tomorrow ({len(questions)})\n", style="bold")
            for question in questions[:8]:
                text.append(f"Q{question.number}: ", style="bold")
                text.append(f"{question.text}\n", style="")
            if len(questions) > 8:
                text.append(f"and {len(questions) - 8} more; start with --order due\n")
            text.rstrip()
        self.query_one("#summary-due", Static).update(text)

    def _questions(self) -> Table | Text:
        if not self.summary.rows:
            return Text("No question was answered.")
        table = Table(expand=True, show_edge=False, title="Questions", title_justify="left")
        table.add_column("Q", justify="right", no_wrap=True)
        table.add_column("Question", ratio=1)
        table.add_column("Coverage", justify="right", no_wrap=True)
        table.add_column("Tries", justify="right", no_wrap=True)
        table.add_column("Time", justify="right", no_wrap=True)
        for row in self.summary.rows:
            table.add_row(
                Text(str(row.question.number)),
                Text(row.question.text, overflow="ellipsis", no_wrap=True),
                Text(percent(row.coverage)),
                Text(str(row.attempts)),
                Text(mmss(row.time_s)),
            )
        return table

    def _topics(self) -> Table | Text:
        if not self.summary.topic_means:
            return Text()
        table = Table(expand=True, show_edge=False, title="Topics", title_justify="left")
        table.add_column("Topic", ratio=1)
        table.add_column("Mean coverage", justify="right", no_wrap=True)
        for topic, mean in self.summary.topic_means.items():
            table.add_row(Text(topic), Text(percent(mean)))
        return table

    def _practise(self) -> Text:
        weakest = self.summary.practise_next
        if not weakest:
            return Text(
                "Practise next: nothing missed. Try a new topic." if self.summary.rows else ""
            )
        text = Text("Practise next\n", style="bold")
        for row in weakest:
            text.append(f"Q{row.question.number} ({percent(row.coverage)}): ")
            text.append(row.question.text)
            if row.missed:
                text.append("\n   missed: ", style="dim")
                text.append(", ".join(row.missed))
            text.append("\n")
        text.rstrip()
        return text

    def action_new_session(self) -> None:
        from simulator.tui.screens.setup import SetupScreen

        self.app.switch_screen(SetupScreen())
