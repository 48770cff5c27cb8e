from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "diogelu.enquiries"
    label = "enquiries"
    verbose_name = "Strategy discussions and section 47 enquiries"
