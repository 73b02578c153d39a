{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "TlsOnly",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::${bucket}", "arn:aws:s3:::${bucket}/*"],
      "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    },
    {
      "Sid": "ReadersOnly",
      "Effect": "Allow",
      "Principal": { "AWS": ["${reader_arn}", "${loader_arn}"] },
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::${bucket}", "arn:aws:s3:::${bucket}/*"]
    },
    {
      "Sid": "NobodyElse",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::${bucket}/*",
      "Condition": { "ArnNotEquals": { "aws:PrincipalArn": ["${reader_arn}", "${loader_arn}"] } }
    }
  ]
}
