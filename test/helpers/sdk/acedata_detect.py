"""Runs Ace Data Cloud's official Python SDK, unchanged, against a facelive server.

Usage: python3 acedata_detect.py < job.json, the job being {baseUrl, token, imageUrl, extra}
(extra: more fields of the call, e.g. face_model_version). Prints one JSON line: {"result": …}
on success, {"exception": {"class", "isApiError", "code", "status", "message", "traceId"}} when
the SDK raises. Retries are off (max_retries=0) so that a 500 or 429 is seen at once. The SDK
comes from PYTHONPATH (../shared/clients/acedatacloud-sdk/python/src).
"""
import json
import sys

from acedatacloud import AceDataCloud
from acedatacloud._runtime.errors import AceDataCloudError, APIError


def main():
    job = json.load(sys.stdin)
    client = AceDataCloud(api_token=job["token"], base_url=job["baseUrl"], max_retries=0, timeout=60.0)
    try:
        result = client.face.detect_live(image_url=job["imageUrl"], **job.get("extra", {}))
    except AceDataCloudError as error:
        api = isinstance(error, APIError)
        print(json.dumps({"exception": {
            "class": type(error).__name__,
            "isApiError": api,
            "code": error.code if api else None,
            "status": error.status_code if api else None,
            "message": error.message if api else str(error),
            "traceId": error.trace_id if api else None,
        }}))
        return
    print(json.dumps({"result": result}))


main()
