"""CDK entry point: load the blueprint named in the context and synthesize the landing zone."""
from landing_zone.cdk.app import main

if __name__ == "__main__":
    main()
