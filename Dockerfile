# docintake with its OCR models (inside the rapidocr wheel) and CJK fonts; runs offline.
# Default command: watch /data/inbox, reports to /data/outbox, history in /data/.docintake.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-wqy-zenhei fontconfig libgl1 libglib2.0-0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
# The locked runtime dependencies first (the tested versions; no dev or samples extras), in their own layer.
RUN pip install --no-cache-dir -r requirements.lock
COPY docintake docintake
COPY extractors extractors
COPY validators validators
COPY checklists checklists
COPY flows flows
COPY samples samples
RUN pip install --no-cache-dir --no-deps . \
 && python -c "from docintake.extractors.ocr import get_engine; get_engine('rapidocr', 1)"  # models load offline

# History and Prefect's own state live on the mounted volume, so they survive the container.
ENV DOCINTAKE_HOME=/data/.docintake \
    PREFECT_HOME=/data/.prefect \
    PREFECT_SERVER_ANALYTICS_ENABLED=false
RUN mkdir -p /data && chown 1000:1000 /data
VOLUME /data
USER 1000:1000
ENTRYPOINT ["docintake"]
# `batch /data/inbox --out /data/outbox` for one pass (cron); add `--poll 30` on network shares.
CMD ["watch", "/data/inbox", "--out", "/data/outbox"]
