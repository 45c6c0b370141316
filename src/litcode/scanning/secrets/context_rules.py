"""Provider keys without a prefix, recognised by the provider's name beside them.

A Datadog API key is 32 hex digits, a Heroku key a UUID: shapes that mean
nothing alone. Next to the provider's name (``DATADOG_API_KEY = "..."``,
``"heroku": {"token": ...}`` on one line, ``twilio_auth=...``) they are keys.
Each row is (provider, name words, value shape), learnt from the providers'
documentation and the public descriptions of gitleaks' and trufflehog's
keyword rules; the value must fill the shape exactly and look random.

>>> rule = {r.kind: r for r in provider_context_rules()}["datadog_key"]
>>> [m.kind for m in rule.find('DATADOG_APP = "9f86d081884c7d659a2feaa0c55ad015"')]
['datadog_key']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from litcode.scanning.secrets.assignment_rules import read_value
from litcode.scanning.secrets.entropy import has_letters_and_digits, shannon_entropy
from litcode.scanning.secrets.names import lower_same_length, widen_name
from litcode.scanning.secrets.placeholders import looks_like_placeholder
from litcode.scanning.secrets.rules import SecretMatch, SecretRule


def _hex(*lengths: int) -> str:
    return "|".join(f"[a-f0-9]{{{n}}}" for n in lengths)


def _alnum(*lengths: int) -> str:
    return "|".join(f"[a-z0-9]{{{n}}}" for n in lengths)


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# (provider, words that name it, value shape; matched case-insensitively and in full)
PROVIDER_CONTEXTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("adafruit", ("adafruit",), r"[a-z0-9_-]{32}"),
    ("adobe", ("adobe",), _hex(32)),
    ("airtable", ("airtable",), r"key[a-z0-9]{14}|[a-z0-9]{17}"),
    ("algolia", ("algolia",), _alnum(32)),
    ("alibaba", ("alibaba", "aliyun"), _alnum(30)),
    ("asana", ("asana",), r"\d/\d{16}:[a-z0-9]{32}|[0-9]{16}|[a-z0-9]{32}"),
    ("atlassian", ("atlassian", "confluence", "jira"), _alnum(24)),
    ("assemblyai", ("assemblyai", "assembly_ai"), _hex(32)),
    ("auth0", ("auth0",), r"[a-z0-9_-]{64}|[a-z0-9_-]{32}"),
    ("azure", ("azure",), r"[a-z0-9+/=~._-]{32,88}"),
    ("beamer", ("beamer",), r"b_[a-z0-9=_-]{44}"),
    ("bitbucket", ("bitbucket",), r"[a-z0-9=_-]{32}|[a-z0-9=_-]{64}"),
    ("bittrex", ("bittrex",), _alnum(32)),
    ("browserstack", ("browserstack",), _alnum(20)),
    ("bugsnag", ("bugsnag",), _hex(32)),
    ("circleci", ("circleci", "circle_token"), _hex(40)),
    ("cloudflare", ("cloudflare", "cf_api"), r"[a-z0-9_-]{40}|[a-f0-9]{37}"),
    ("codecov", ("codecov",), _alnum(32) + "|" + _UUID),
    ("cohere", ("cohere", "co_api"), _alnum(40)),
    ("coinbase", ("coinbase",), r"[a-z0-9_-]{64}"),
    ("confluent", ("confluent",), _alnum(16, 64)),
    ("coveralls", ("coveralls",), r"[a-z0-9]{32,37}"),
    ("datadog", ("datadog", "dd_api", "dd_app", "dd-api", "dd_client"), _hex(32, 40)),
    ("deepseek", ("deepseek",), r"sk-[a-f0-9]{32}"),
    ("discord", ("discord",), r"[mno][a-z\d]{23,27}\.[\w-]{6}\.[\w-]{27,40}|[a-f0-9]{64}"),
    ("droneci", ("drone",), _alnum(32)),
    ("dropbox", ("dropbox",), r"sl\.[a-z0-9=_-]{130,150}|[a-z0-9]{11}a{10}[a-z0-9_=-]{43}|[a-z0-9]{15}"),
    ("elevenlabs", ("elevenlabs", "xi_api", "xi-api"), r"(?:sk_)?[a-f0-9]{32}(?:[a-f0-9]{16})?"),
    ("etsy", ("etsy",), _alnum(24)),
    ("facebook", ("facebook", "fb_app", "fb_secret"), _hex(32)),
    ("fastly", ("fastly",), r"[a-z0-9=_-]{32}"),
    ("finicity", ("finicity",), r"[a-z0-9]{20}|[a-f0-9]{32}"),
    ("finnhub", ("finnhub",), _alnum(20)),
    ("flickr", ("flickr",), _alnum(32)),
    ("freshbooks", ("freshbooks",), _alnum(64)),
    ("github", ("github", "gh_token"), _hex(40)),
    ("gitter", ("gitter",), r"[a-z0-9_-]{40}"),
    ("gocardless", ("gocardless",), r"live_[a-z0-9_=-]{40}"),
    ("heroku", ("heroku",), _UUID),
    ("honeycomb", ("honeycomb",), r"[a-z0-9]{22}|[a-z0-9]{32}|[a-z0-9]{64}"),
    ("hubspot", ("hubspot",), _UUID),
    ("intercom", ("intercom",), r"[a-z0-9=_-]{60}"),
    ("jenkins", ("jenkins",), r"11[a-f0-9]{32}"),
    ("jfrog", ("jfrog", "artifactory", "bintray", "xray"), r"[a-z0-9]{64}|[a-z0-9]{73}|cmVmd[a-z0-9]{59}"),
    ("kraken", ("kraken",), r"[a-z0-9/=_+-]{80,90}"),
    ("kucoin", ("kucoin",), _hex(24) + "|" + _UUID),
    ("launchdarkly", ("launchdarkly", "launch_darkly"), r"(?:api|sdk|mob)-" + _UUID + r"|[a-z0-9=_-]{40}"),
    ("linkedin", ("linkedin", "linked_in"), _alnum(14, 16)),
    ("lob", ("lob_",), r"(?:live|test)_[a-f0-9]{35}|(?:live|test)_pub_[a-f0-9]{31}"),
    ("loggly", ("loggly",), _UUID),
    ("mailgun", ("mailgun",), r"[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}|key-[a-f0-9]{32}"),
    ("mailjet", ("mailjet",), _hex(32)),
    ("mattermost", ("mattermost",), _alnum(26)),
    ("messagebird", ("messagebird", "message_bird", "message-bird"), _alnum(25)),
    ("mistral", ("mistral",), r"[a-z0-9]{32}"),
    ("mixpanel", ("mixpanel", "amplitude", "segment"), _hex(32) + "|" + _alnum(32)),
    ("netlify", ("netlify",), r"[a-z0-9=_-]{40,46}"),
    ("ngrok", ("ngrok",), r"[0-9a-z]{27}_[0-9a-z]{21}|[0-9a-z]{43}"),
    ("nytimes", ("nytimes", "new_york_times", "newyorktimes"), r"[a-z0-9=_-]{32}"),
    ("okta", ("okta",), r"00[a-z0-9=_-]{40}"),
    ("opsgenie", ("opsgenie",), _UUID),
    ("pagerduty", ("pagerduty", "pager_duty"), r"[a-z0-9_+-]{20}"),
    ("plaid", ("plaid",), _alnum(24, 30)),
    ("postmark", ("postmark",), _UUID),
    ("pusher", ("pusher",), _hex(20)),
    ("railway", ("railway",), _UUID),
    ("rapidapi", ("rapidapi", "x-rapidapi"), r"[a-z0-9_-]{50}"),
    ("rollbar", ("rollbar",), _hex(32)),
    ("saucelabs", ("saucelabs", "sauce_access", "sauce_key"), _UUID),
    ("sendbird", ("sendbird",), _hex(40)),
    ("sentry", ("sentry",), _hex(32, 64)),
    (
        "sidekiq",
        ("sidekiq", "bundle_enterprise__contribsys__com", "bundle_gems__contribsys__com"),
        r"[a-f0-9]{8}:[a-f0-9]{8}",
    ),
    ("snyk", ("snyk",), _UUID),
    ("sparkpost", ("sparkpost",), _hex(40)),
    ("squarespace", ("squarespace",), _UUID),
    ("sumologic", ("sumo",), r"su[a-z0-9]{12}|[a-z0-9]{64}"),
    ("together", ("together",), _hex(64)),
    ("travisci", ("travis",), _alnum(22)),
    ("trello", ("trello",), _alnum(32)),
    ("twilio", ("twilio",), _hex(32)),
    ("twitch", ("twitch",), _alnum(30)),
    ("twitter", ("twitter",), r"[a-z0-9]{25}|[a-z0-9]{35,50}|\d{15,25}-[a-z0-9]{20,40}"),
    ("upstash", ("upstash",), r"[a-z0-9=_-]{40,}"),
    ("vault", ("vault",), r"s\.[a-z0-9]{24}"),
    ("vercel", ("vercel", "now_token"), _alnum(24)),
    ("wandb", ("wandb", "weights_and_biases"), _hex(40)),
    ("yandex", ("yandex",), r"yc[a-z0-9_-]{38}|aqvn[a-z0-9_-]{35,38}"),
    ("zendesk", ("zendesk",), _alnum(40)),
    ("openai", ("openai",), r"sk-[a-z0-9]{48}|sk-[a-z0-9_-]{40,200}"),
    ("aws_session", ("aws_session", "awssession"), r"[a-z0-9/+=]{100,1200}"),
)


class ProviderContextRule(SecretRule):
    """One provider's key: its name beside a value of the provider's exact shape."""

    placeholder = "<SECRET_KEY>"

    def __init__(
        self, provider: str, words: tuple[str, ...], value_shape: str, confidence: float = 0.85
    ) -> None:
        self.kind = f"{provider}_key"
        self.keywords = words
        self.shape = re.compile(f"(?:{value_shape})", re.IGNORECASE)
        self.confidence = confidence

    def find(self, text: str) -> Iterator[SecretMatch]:
        lowered = lower_same_length(text)
        for word in self.keywords:
            position = lowered.find(word)
            while position >= 0:
                start, end = widen_name(text, position, position + len(word))
                value = read_value(text, start, end)
                position = lowered.find(word, max(end, position + 1))
                if value is None:
                    continue
                value_start, value_end, literal, _ = value
                if self.shape.fullmatch(literal) and self._looks_random(literal):
                    is_example = looks_like_placeholder(literal)
                    yield SecretMatch(
                        self.kind, value_start, value_end, self.confidence, is_example, self.placeholder
                    )

    @staticmethod
    def _looks_random(value: str) -> bool:
        return has_letters_and_digits(value) and shannon_entropy(value) >= 3.0


def provider_context_rules() -> list[SecretRule]:
    """A fresh rule per row of :data:`PROVIDER_CONTEXTS`."""
    return [ProviderContextRule(provider, words, shape) for provider, words, shape in PROVIDER_CONTEXTS]
