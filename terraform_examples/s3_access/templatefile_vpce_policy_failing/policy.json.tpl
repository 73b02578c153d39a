{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "OnlyThroughTheS3Endpoint",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["${bucket_arn}", "${bucket_arn}/*"],
      "Condition": {
        "StringNotEquals": { "aws:SourceVpce": "${vpce_id}" }
      }
    }
  ]
}
