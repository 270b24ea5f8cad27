# One image for every service of the workspace; SERVICE picks which one the container runs.
FROM python:3.11-slim
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1
WORKDIR /app
COPY . .
RUN uv sync --all-packages --frozen --no-dev
ARG SERVICE
ENV SERVICE=${SERVICE}
EXPOSE 8000
CMD ["sh", "-c", "exec python -m llmops_runtime.service.run ${SERVICE}"]
