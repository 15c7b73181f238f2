"""The resources of HatClient/AsyncHatClient, one per tag of the HAT API spec."""
