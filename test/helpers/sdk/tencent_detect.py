"""Runs Tencent Cloud's official Python SDK, unchanged, against a facelive server.

Usage: python3 tencent_detect.py < job.json; prints one JSON line: {"score": …,
"faceModelVersion": …, "requestId": …} on success, {"exception": {"code", "message",
"requestId"}} when the SDK raises TencentCloudSDKException. The job: endpoint (host:port),
protocol, secretId, secretKey, token (optional), signMethod (TC3-HMAC-SHA256, HmacSHA256,
HmacSHA1), reqMethod (POST, GET), and the request fields Image, Url, FaceModelVersion. The SDK
comes from PYTHONPATH (../shared/clients/tencentcloud-sdk-python).
"""
import json
import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.iai.v20200303 import iai_client, models


def main():
    job = json.load(sys.stdin)
    cred = credential.Credential(job["secretId"], job["secretKey"], job.get("token"))
    http_profile = HttpProfile(endpoint=job["endpoint"], protocol=job.get("protocol", "http"), reqMethod=job.get("reqMethod", "POST"))
    if job.get("certification"):
        http_profile.certification = job["certification"]
    profile = ClientProfile(httpProfile=http_profile, signMethod=job.get("signMethod", "TC3-HMAC-SHA256"))
    client = iai_client.IaiClient(cred, "ap-guangzhou", profile)
    request = models.DetectLiveFaceAccurateRequest()
    request.from_json_string(json.dumps({key: job[key] for key in ("Image", "Url", "FaceModelVersion") if key in job}))
    try:
        response = client.DetectLiveFaceAccurate(request)
    except TencentCloudSDKException as error:
        print(json.dumps({"exception": {"code": error.get_code(), "message": error.get_message(), "requestId": error.get_request_id()}}))
        return
    print(json.dumps({"score": response.Score, "faceModelVersion": response.FaceModelVersion, "requestId": response.RequestId}))


main()
