"""The examples in docs/review-pack.md are real: each one passes validation."""

import re

from django.conf import settings

from safeguarding.core.content_loading.yaml_source import pack_validate, yaml_parse
from safeguarding.partnership.importers import PartnershipPack
from safeguarding.reviews.importers.schema import ReviewPack

DOC = settings.BASE_DIR / "docs" / "review-pack.md"


def test_the_documented_examples_are_valid_packs():
    review_example, partnership_example = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)

    review = pack_validate(located=yaml_parse(text=review_example, file="doc"), model=ReviewPack)
    located = yaml_parse(text=partnership_example, file="doc")
    partnership = pack_validate(located=located, model=PartnershipPack)

    assert review.recommendations[0].reference == "N1"
    assert partnership.contact_points[0].phone == "0191 277 2500"
