// Placeholder: the AWS Batch emulator is being written (see README).
return 0;
