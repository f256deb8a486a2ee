"""Review packs: one YAML file describes one review (see docs/review-pack.md).

Loading happens in two steps. `review_packs_check` reads and validates every file and checks every
reference (boards, agencies, themes, findings) before anything is written; `review_pack_write` then
writes one checked pack, changing only what differs. The pack is the source of truth for its review:
milestones, findings, recommendations, resources and media that it does not list are removed.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from safeguarding.core.content_loading.errors import ContentLoadError, ContentProblem
from safeguarding.core.content_loading.source import file_read_bytes, utf8_decode
from safeguarding.core.content_loading.sync import (
    ChangeSummary,
    record_upsert,
    records_remove,
    relations_sync,
)
from safeguarding.core.content_loading.yaml_source import LocatedData, pack_validate, yaml_parse
from safeguarding.partnership.models import Agency, Board
from safeguarding.reviews.models import (
    Finding,
    Media,
    Recommendation,
    Resource,
    Review,
    ReviewMilestone,
    Theme,
)
from safeguarding.reviews.search import search_index_review

from .schema import ResourcePack, ReviewPack
from .signals import recommendations_removing, review_pack_written


@dataclass
class CheckedReviewPack:
    """A pack that passed every check, with the database ids its references resolve to."""

    file: str
    pack: ReviewPack
    board_ids: dict[str, int]
    agency_ids: dict[str, int]


def review_pack_read(*, path: Path) -> tuple[ReviewPack, LocatedData]:
    """One pack file, parsed and validated on its own (no database look-ups)."""
    file = str(path)
    text = utf8_decode(data=file_read_bytes(path=path), file=file)
    located = yaml_parse(text=text, file=file)
    return pack_validate(located=located, model=ReviewPack), located


def _duplicates(
    located: LocatedData, items: list[str], path: tuple[str, str], what: str
) -> list[ContentProblem]:
    """A problem at each repeat of a key, naming the line of its first use."""
    problems = []
    first_seen: dict[str, int] = {}
    for index, value in enumerate(items):
        if value in first_seen:
            first_line = located.position((path[0], first_seen[value], path[1]))[0]
            line = located.position((path[0], index, path[1]))[0]
            problems.append(
                located.problem(
                    (path[0], index, path[1]),
                    f"{what} {value!r} is used twice, on line {first_line} and line {line}",
                )
            )
        else:
            first_seen[value] = index
    return problems


def _pack_check(pack: ReviewPack, located: LocatedData, known_themes: set[str]) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    problems += _duplicates(
        located, [f.reference for f in pack.findings], ("findings", "reference"), "finding"
    )
    problems += _duplicates(
        located,
        [r.reference for r in pack.recommendations],
        ("recommendations", "reference"),
        "recommendation",
    )
    problems += _duplicates(located, [m.title for m in pack.milestones], ("milestones", "title"), "milestone")
    problems += _duplicates(located, [t.slug for t in pack.themes], ("themes", "slug"), "theme")
    for index, milestone in enumerate(pack.milestones):
        try:
            milestone.parsed()
        except ValueError as exc:
            problems.append(located.problem(("milestones", index, "date"), str(exc)))

    boards = set(Board.objects.filter(slug__in=pack.boards).values_list("slug", flat=True))
    for index, slug in enumerate(pack.boards):
        if slug not in boards:
            problems.append(
                located.problem(("boards", index), f"there is no board {slug!r}: load the partnership pack")
            )

    # A theme named in the pack must not take the name of a different theme already in the database.
    for index, theme in enumerate(pack.themes):
        clash = Theme.objects.filter(name=theme.name).exclude(slug=theme.slug).first()
        if clash:
            problems.append(
                located.problem(("themes", index, "name"), f"the theme {clash.slug!r} already has this name")
            )

    findings = {f.reference for f in pack.findings}
    wanted_agencies = {slug for r in pack.recommendations for slug in r.lead_agencies}
    agencies = set(Agency.objects.filter(slug__in=wanted_agencies).values_list("slug", flat=True))
    for index, recommendation in enumerate(pack.recommendations):
        where = ("recommendations", index)
        if recommendation.finding and recommendation.finding not in findings:
            problems.append(
                located.problem(
                    (*where, "finding"), f"there is no finding {recommendation.finding!r} in this pack"
                )
            )
        for position, slug in enumerate(recommendation.lead_agencies):
            if slug not in agencies:
                problems.append(
                    located.problem((*where, "lead_agencies", position), f"there is no agency {slug!r}")
                )
        for position, slug in enumerate(recommendation.themes):
            if slug not in known_themes:
                problems.append(
                    located.problem(
                        (*where, "themes", position),
                        f"there is no theme {slug!r}: list it under themes, or use one that exists",
                    )
                )
    problems += _sign_offs_check(pack, located)
    return problems


def _sign_offs_check(pack: ReviewPack, located: LocatedData) -> list[ContentProblem]:
    """Sign-offs name the pack's own boards and recommendations; and a recommendation shown as
    progressed in full has every board's sign-off saying so, so that no page can say otherwise."""
    problems: list[ContentProblem] = []
    references = [r.reference for r in pack.recommendations]
    signed: dict[str, set[str]] = {reference: set() for reference in references}
    for index, sign_off in enumerate(pack.sign_offs):
        where = ("sign_offs", index)
        try:
            date, _precision = sign_off.parsed()
        except ValueError as exc:
            problems.append(located.problem((*where, "date"), str(exc)))
        else:
            if date > timezone.localdate():
                problems.append(located.problem((*where, "date"), "a sign-off cannot be in the future"))
        for position, slug in enumerate(sign_off.boards):
            if slug not in pack.boards:
                problems.append(
                    located.problem(
                        (*where, "boards", position), f"{slug!r} is not one of this review's boards"
                    )
                )
        for position, reference in enumerate(sign_off.recommendations):
            if reference not in signed:
                problems.append(
                    located.problem(
                        (*where, "recommendations", position), f"there is no recommendation {reference!r}"
                    )
                )
        for reference in sign_off.recommendations or references:
            signed.get(reference, set()).update(sign_off.boards)
    for index, recommendation in enumerate(pack.recommendations):
        if recommendation.public_status != Recommendation.PublicStatus.PROGRESSED_IN_FULL:
            continue
        unsigned = [slug for slug in pack.boards if slug not in signed[recommendation.reference]]
        if unsigned:
            problems.append(
                located.problem(
                    ("recommendations", index, "public_status"),
                    "progressed in full needs a sign-off by every board of the review under sign_offs "
                    f"(none from {', '.join(unsigned)})",
                )
            )
    return problems


def review_packs_check(*, paths: list[Path]) -> list[CheckedReviewPack]:
    """Every pack read, validated and cross-checked; a ContentLoadError lists every problem in every file."""
    problems: list[ContentProblem] = []
    read: list[tuple[ReviewPack, LocatedData]] = []
    for path in paths:
        try:
            read.append(review_pack_read(path=path))
        except ContentLoadError as exc:
            problems += exc.problems
    if not read:
        raise ContentLoadError(problems)
    known_themes = set(Theme.objects.values_list("slug", flat=True))
    known_themes |= {theme.slug for pack, _ in read for theme in pack.themes}
    slugs_seen: dict[str, str] = {}
    checked = []
    for pack, located in read:
        if pack.slug in slugs_seen:
            problems.append(
                located.problem(
                    ("slug",), f"the review {pack.slug!r} is also loaded from {slugs_seen[pack.slug]}"
                )
            )
        slugs_seen[pack.slug] = located.file
        problems += _pack_check(pack, located, known_themes)
        checked.append(
            CheckedReviewPack(
                file=located.file,
                pack=pack,
                board_ids=dict(Board.objects.filter(slug__in=pack.boards).values_list("slug", "pk")),
                agency_ids=dict(
                    Agency.objects.filter(
                        slug__in={s for r in pack.recommendations for s in r.lead_agencies}
                    ).values_list("slug", "pk")
                ),
            )
        )
    if problems:
        raise ContentLoadError(problems)
    return checked


def _themes_write(pack: ReviewPack, summary: ChangeSummary) -> dict[str, int]:
    """Themes the pack lists are created if missing; existing themes are shared, so left as they are."""
    for theme in pack.themes:
        if not Theme.objects.filter(slug=theme.slug).exists():
            Theme.objects.create(slug=theme.slug, name=theme.name, description=theme.description)
            summary.created["theme"] += 1
    wanted = {slug for r in pack.recommendations for slug in r.themes}
    return dict(Theme.objects.filter(slug__in=wanted).values_list("slug", "pk"))


def _resources_write(
    review: Review,
    recommendation: Recommendation | None,
    items: list[ResourcePack],
    existing: list[Resource],
    summary: ChangeSummary,
) -> bool:
    # Resources have no key of their own: the n-th listed updates the n-th stored.
    changed = False
    for order, (item, current) in enumerate(zip(items, existing + [None] * len(items), strict=False)):
        values = {
            "review_id": review.pk,
            "recommendation_id": recommendation.pk if recommendation else None,
            "title": item.title,
            "url": item.url,
            "description": item.description,
            "order": order,
        }
        changed |= record_upsert(model=Resource, existing=current, values=values, summary=summary)[1]
    surplus = [r.pk for r in existing[len(items) :]]
    changed |= records_remove(queryset=Resource.objects.filter(pk__in=surplus), summary=summary)
    return changed


def review_pack_write(*, checked: CheckedReviewPack, summary: ChangeSummary) -> Review:
    """Write one checked pack. Call inside a transaction, after `review_packs_check`."""
    pack = checked.pack
    theme_ids = _themes_write(pack, summary)
    existing_review = Review.objects.filter(slug=pack.slug).prefetch_related("boards").first()
    review, changed = record_upsert(
        model=Review,
        existing=existing_review,
        values={
            "slug": pack.slug,
            "title": pack.title,
            "short_title": pack.short_title,
            "review_type": pack.review_type.value,
            "commissioned": pack.commissioned,
            "published_on": pack.published_on,
            "period_covered": pack.period_covered,
            "reviewer": pack.reviewer,
            "review_team": pack.review_team,
            "summary": pack.summary,
            "background": pack.background,
            "recommendations_summary": pack.recommendations_summary,
            "content_note": pack.content_note,
            "report_url": pack.report_url,
            "report_description": pack.report_description,
            "briefing_key_learning": pack.briefing.key_learning,
            "briefing_for_you": pack.briefing.for_you,
            "briefing_questions": list(pack.briefing.questions),
            "is_demo": pack.is_demo,
        },
        summary=summary,
    )
    changed |= relations_sync(
        record=review,
        wanted={"boards": {checked.board_ids[slug] for slug in pack.boards}},
        saved=changed,
        summary=summary,
    )

    milestones = {m.title: m for m in review.milestones.all()}
    for milestone in pack.milestones:
        date, precision = milestone.parsed()
        values = {
            "review_id": review.pk,
            "date": date,
            "precision": precision,
            "title": milestone.title,
            "description": milestone.description,
        }
        changed |= record_upsert(
            model=ReviewMilestone, existing=milestones.get(milestone.title), values=values, summary=summary
        )[1]
    changed |= records_remove(
        queryset=review.milestones.exclude(title__in=[m.title for m in pack.milestones]), summary=summary
    )

    findings = {f.reference: f for f in review.findings.all()}
    finding_ids = {}
    for order, finding_pack in enumerate(pack.findings):
        values = {
            "review_id": review.pk,
            "reference": finding_pack.reference,
            "order": order,
            "title": finding_pack.title,
            "text": finding_pack.text,
        }
        finding, finding_changed = record_upsert(
            model=Finding, existing=findings.get(finding_pack.reference), values=values, summary=summary
        )
        finding_ids[finding_pack.reference] = finding.pk
        changed |= finding_changed

    recommendations = {
        r.reference: r
        for r in review.recommendations.prefetch_related("lead_agencies", "themes", "resources")
    }
    all_references = [r.reference for r in pack.recommendations]
    signed_off = {ref for sign_off in pack.sign_offs for ref in (sign_off.recommendations or all_references)}
    for order, item in enumerate(pack.recommendations):
        current = recommendations.get(item.reference)
        values = {
            "review_id": review.pk,
            "reference": item.reference,
            "reference_is_provisional": item.reference_is_provisional,
            "order": order,
            "title": item.title,
            "text": item.text,
            "finding_id": finding_ids[item.finding] if item.finding else None,
            "why": item.why,
            "addressee": item.addressee.value,
            "addressed_to": item.addressed_to,
            "audience": item.audience.value,
            "what_changed": item.what_changed,
            "practice_learning": item.practice_learning,
            "reflective_questions": list(item.reflective_questions),
        }
        if item.reference not in signed_off:
            # A recommendation with sign-offs has the status the tracker works out from them.
            values |= {
                "public_status": item.public_status.value,
                "public_status_note": item.public_status_note,
            }
        recommendation, saved = record_upsert(
            model=Recommendation, existing=current, values=values, summary=summary
        )
        changed |= saved
        changed |= relations_sync(
            record=recommendation,
            wanted={
                "lead_agencies": {checked.agency_ids[slug] for slug in item.lead_agencies},
                "themes": {theme_ids[slug] for slug in item.themes},
            },
            saved=saved,
            summary=summary,
        )
        existing_resources = list(current.resources.all()) if current else []
        changed |= _resources_write(review, recommendation, list(item.resources), existing_resources, summary)
    removed = review.recommendations.exclude(reference__in=[r.reference for r in pack.recommendations])
    recommendations_removing.send(sender=Recommendation, recommendations=removed)
    changed |= records_remove(queryset=removed, summary=summary)
    changed |= records_remove(
        queryset=review.findings.exclude(reference__in=[f.reference for f in pack.findings]), summary=summary
    )

    review_resources = list(review.resources.filter(recommendation=None))
    changed |= _resources_write(review, None, list(pack.resources), review_resources, summary)

    media = list(review.media.all())
    for order, (media_pack, current_media) in enumerate(
        zip(pack.media, media + [None] * len(pack.media), strict=False)
    ):
        values = {
            "review_id": review.pk,
            "kind": media_pack.kind.value,
            "title": media_pack.title,
            "url": media_pack.url,
            "duration": media_pack.duration,
            "transcript": media_pack.transcript,
            "order": order,
        }
        changed |= record_upsert(model=Media, existing=current_media, values=values, summary=summary)[1]
    changed |= records_remove(
        queryset=Media.objects.filter(pk__in=[m.pk for m in media[len(pack.media) :]]), summary=summary
    )

    if changed:
        search_index_review(review=review)
    # The tracker (above this app) records the sign-offs: see tracker.content.
    review_pack_written.send(sender=Review, review=review, pack=pack, board_ids=checked.board_ids)
    return review
