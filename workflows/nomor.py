"""NomorRegisterWorkflow: the letter-number register of one (instansi, klasifikasi, year).

An entity workflow instead of a database table: updates run one at a time in the
workflow, so numbers are unique and gap-free, and history makes them durable. A number is
keyed by the document it was given to, so a retried reservation gets the same number.
"""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.models import NomorRegisterInput, NomorRequest


@workflow.defn
class NomorRegisterWorkflow:
    @workflow.init
    def __init__(self, input: NomorRegisterInput) -> None:
        self._issued: dict[str, int] = dict(input.issued)

    @workflow.run
    async def run(self, input: NomorRegisterInput) -> None:
        # Lives as long as its year is in use; continues as new before history grows large.
        await workflow.wait_condition(
            lambda: (
                workflow.info().is_continue_as_new_suggested() and workflow.all_handlers_finished()
            )
        )
        workflow.continue_as_new(
            NomorRegisterInput(register_id=input.register_id, issued=dict(self._issued))
        )

    @workflow.update
    def reserve(self, request: NomorRequest) -> int:
        if request.document_key not in self._issued:
            self._issued[request.document_key] = len(self._issued) + 1
        return self._issued[request.document_key]

    @reserve.validator
    def validate_reserve(self, request: NomorRequest) -> None:
        if not request.document_key:
            raise ValueError("document_key wajib diisi")

    @workflow.query
    def issued(self) -> dict[str, int]:
        return dict(self._issued)
