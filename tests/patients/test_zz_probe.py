from django.urls import reverse
from clinics.scoping import clinics_of
def test_probe(client_for, alice, harbour):
    print("CLINICS", clinics_of(alice), bool(harbour), repr(str(harbour.pk)))
    r = client_for(alice).get(reverse("patients:create"))
    f = r.context["form"]
    print("FIELD", type(f.fields["clinic"].widget), f.fields["clinic"].initial, list(f.fields["clinic"].queryset))
