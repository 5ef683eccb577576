"""Which facts are about the subjects a question names: a subject's own facts, else the
facts of what lies within it or names it (a Linyi cooperative shipping from Yuncheng),
and, when several subjects are named, the facts that concern all of them."""

from shanxi_cli.store.interface import Store
from shanxi_cli.store.records import Entity, Fact


def facts_about(
    store: Store, facts: list[Fact], subjects: list[Entity]
) -> tuple[list[Fact], list[Entity]]:
    """The facts about the subjects (see the module's rules), and the subjects widened."""
    if not subjects:
        return facts, []
    per_subject: list[tuple[Entity, list[Fact], list[Fact]]] = []
    for subject in subjects:
        around = within(store, subject)
        own = [fact for fact in facts if fact.subject == subject.id]
        near = [fact for fact in facts if fact.subject != subject.id and concerns(fact, around)]
        per_subject.append((subject, own, near))
    if len(subjects) > 1:
        common = set.intersection(*({f.id for f in own + near} for _, own, near in per_subject))
        if common:
            return [fact for fact in facts if fact.id in common], []
    chosen: set[str] = set()
    widened: list[Entity] = []
    for subject, own, near in per_subject:
        if own:
            chosen.update(fact.id for fact in own)
        elif near:
            chosen.update(fact.id for fact in near)
            widened.append(subject)
    return [fact for fact in facts if fact.id in chosen], widened


def within(store: Store, subject: Entity) -> set[str]:
    """The subject and every entity that lies within it, at any depth."""
    found = {subject.id}
    waiting = [subject.id]
    while waiting:
        for child in store.children.get(waiting.pop(), []):
            if child.id not in found:
                found.add(child.id)
                waiting.append(child.id)
    return found


def concerns(fact: Fact, around: set[str]) -> bool:
    return (
        fact.subject in around
        or any(other in around for other in fact.related)
        or fact.attributed_to in around
    )
