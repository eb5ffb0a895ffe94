"""How the local SQS event source mapping reads a function's ReportBatchItemFailures answer, as Lambda does."""

from __future__ import annotations

from local_stack.sqs_poller import failed_message_ids

BATCH = ["m1", "m2", "m3"]


def test_an_answer_without_failures_means_every_message_succeeded() -> None:
    # Given the answers Lambda reads as complete success
    answers: list[object] = [None, {}, {"batchItemFailures": []}, {"batchItemFailures": None}]

    # Then no message failed
    assert [failed_message_ids(answer, BATCH) for answer in answers] == [set(), set(), set(), set()]


def test_listed_messages_fail_and_the_others_succeed() -> None:
    # Given an answer naming one message
    answer = {"batchItemFailures": [{"itemIdentifier": "m2"}]}

    # Then only that message failed
    assert failed_message_ids(answer, BATCH) == {"m2"}


def test_an_item_without_identifier_fails_the_whole_batch() -> None:
    # Given an answer with an item that names no message
    answer = {"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": None}]}

    # Then Lambda cannot tell which failed, so all did
    assert failed_message_ids(answer, BATCH) == set(BATCH)


def test_an_identifier_outside_the_batch_fails_the_whole_batch() -> None:
    # Given an answer naming a message that was not in the batch
    answer = {"batchItemFailures": [{"itemIdentifier": "m9"}]}

    # Then the answer is invalid and the whole batch failed
    assert failed_message_ids(answer, BATCH) == set(BATCH)


def test_failures_that_are_not_a_list_fail_the_whole_batch() -> None:
    # Given a malformed answer
    answer = {"batchItemFailures": "m1"}

    # Then the whole batch failed
    assert failed_message_ids(answer, BATCH) == set(BATCH)
